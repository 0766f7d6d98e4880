/** Options every renderer accepts; each has a default so `render(analysis)` alone is enough. */
export interface RenderOptions {
  /** Who made the report, recorded in report.json and junit.xml; default `pullstorm <version>`. */
  generator?: string;
  /** Pods drawn as rows in the HTML timeline (the rest are aggregated); default 50. */
  maxPodRows?: number;
  /** Failing pods given an evidence section in the HTML report; default 50. */
  maxEvidencePods?: number;
}
