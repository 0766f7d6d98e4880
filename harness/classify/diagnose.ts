/**
 * `diagnoseEvents`: a real cluster's `kubectl get events -o json` → the latest classified image
 * pull failure per pod. Pure: the CLI (`pullstorm diagnose`) reads the input and prints
 * {@link formatDiagnosis}'s rendering of the result.
 */
import type { CauseId } from '../../vocab/causes.ts';
import { classifyEvent, type EventClassification } from './event.ts';
import { type PodEvent, readEventList, timeOf } from './event-list.ts';

/** The diagnosis of one pod. */
export interface PodDiagnosis {
  namespace: string;
  pod: string;
  container?: string;
  image?: string;
  /** Cause of the latest failure; absent when only back-off events remain (the failure aged out). */
  cause?: CauseId;
  title: string;
  evidence: string[];
  remediation: string;
  matchedRule: string | null;
  note?: string;
  /** The failure text that was classified. */
  message?: string;
  /** Occurrences of this cause for this pod (sum of the events' counts). */
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  /** The same image was pulled after the failure. */
  recovered: boolean;
}

/** The diagnosis of a whole event list. */
export interface Diagnosis {
  /** Pods with an image pull failure (or back-off), by namespace and name. */
  pods: PodDiagnosis[];
  /** Pods that any event was about. */
  podsSeen: number;
  /** Events about pods that were read. */
  eventsRead: number;
  /** Items about other objects (nodes, deployments …). */
  eventsSkipped: number;
  /**
   * Every event about an image pull, by what it says (sums of event counts): a cause id,
   * `unclassified` for failures no rule knows, or `repeat` for kubelet repeating an earlier
   * failure (`Back-off pulling image`, `Error: ErrImagePull`). Nothing about an image is left out.
   */
  imageEvents: Record<string, number>;
}

// `Error: <waiting reason>`: kubelet repeating the pod's state after a failure it reported already.
const statusEcho =
  /^Error: (?:ErrImagePull|ImagePullBackOff|ImageInspectError|ErrImageNeverPull|InvalidImageName)$/;

interface Read {
  event: PodEvent;
  verdict: EventClassification;
}

const backOffOnly = {
  title: 'Back-off without a recorded failure',
  remediation:
    "The Failed event that names the cause is no longer in the list (events expire, by default after an hour). Read the pod's waiting message: `kubectl get pod <pod> -o jsonpath='{.status.containerStatuses[*].state.waiting.message}'`, or `kubectl describe pod <pod>`.",
  matchedRule: null,
};

/** The diagnosis of one pod's events (sorted oldest first), or undefined if nothing failed. */
function diagnosePod(reads: Read[]): PodDiagnosis | undefined {
  const { namespace, pod } = reads[0]!.event;
  const failures = reads.filter((r) => r.verdict.classification !== undefined && r.verdict.role !== 'other');
  // A status (`Error: ErrImageNeverPull`) echoes the failure event beside it: prefer the events
  // that carry the text, and use statuses only when none of those is left.
  const carriers = failures.filter((r) => r.verdict.role !== 'status');
  const latest = carriers.at(-1) ?? failures.at(-1);
  if (latest === undefined) {
    const waiting = reads.filter(
      (r) =>
        r.verdict.role === 'backoff' || /^Error: (?:ErrImagePull|ImagePullBackOff)$/.test(r.event.message),
    );
    if (waiting.length === 0) return undefined;
    const last = waiting.at(-1)!;
    const image = reads.findLast((r) => r.verdict.image !== undefined)?.verdict.image;
    const count = waiting.filter((r) => r.verdict.role === 'backoff').reduce((n, r) => n + r.event.count, 0);
    return withOptional(
      { namespace, pod, ...backOffOnly, evidence: [], count, recovered: false },
      last.event,
      image,
    );
  }
  const verdict = latest.verdict.classification!;
  const same = (carriers.length > 0 ? carriers : failures).filter(
    (r) => r.verdict.classification!.cause === verdict.cause,
  );
  const image =
    latest.verdict.image ??
    reads.findLast((r) => r.verdict.image !== undefined && r.event.container === latest.event.container)
      ?.verdict.image;
  // A later Pulled means the pull recovered; for exec-format the image was always there.
  const recovered =
    verdict.cause !== 'exec-format' &&
    reads.some(
      (r) =>
        r.verdict.role === 'pulled' &&
        (image === undefined || r.verdict.image === image) &&
        timeOf(r.event.lastSeen) > timeOf(latest.event.lastSeen),
    );
  const diagnosis: PodDiagnosis = {
    namespace,
    pod,
    cause: verdict.cause,
    title: verdict.title,
    evidence: verdict.evidence,
    remediation: verdict.remediation,
    matchedRule: verdict.matchedRule,
    message: latest.event.message,
    count: same.reduce((n, r) => n + r.event.count, 0),
    recovered,
  };
  if (verdict.note !== undefined) diagnosis.note = verdict.note;
  const firstSeen = same.map((r) => r.event.firstSeen).sort((a, b) => timeOf(a) - timeOf(b))[0];
  if (firstSeen !== undefined) diagnosis.firstSeen = firstSeen;
  return withOptional(diagnosis, latest.event, image);
}

/** Adds the optional container, image and last-seen fields only when known. */
function withOptional(d: PodDiagnosis, latest: PodEvent, image: string | undefined): PodDiagnosis {
  if (latest.container !== undefined) d.container = latest.container;
  if (image !== undefined) d.image = image;
  if (latest.lastSeen !== undefined) d.lastSeen = latest.lastSeen;
  return d;
}

/**
 * Diagnoses `kubectl get events -o json` output (text or parsed JSON): per pod, the latest
 * event that names a cause, classified. Throws a TypeError for input that is not an event list.
 */
export function diagnoseEvents(input: unknown): Diagnosis {
  const { events, skipped } = readEventList(input);
  const byPod = new Map<string, Read[]>();
  for (const event of events) {
    const key = `${event.namespace}/${event.pod}`;
    const reads = byPod.get(key) ?? [];
    reads.push({ event, verdict: classifyEvent(event) });
    byPod.set(key, reads);
  }
  const pods: PodDiagnosis[] = [];
  for (const reads of byPod.values()) {
    // Stable sort: events with equal times keep list order, which kubectl gives oldest first.
    reads.sort((a, b) => timeOf(a.event.lastSeen) - timeOf(b.event.lastSeen));
    const diagnosis = diagnosePod(reads);
    if (diagnosis !== undefined) pods.push(diagnosis);
  }
  pods.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod));
  const imageEvents = countImageEvents([...byPod.values()].flat());
  return { pods, podsSeen: byPod.size, eventsRead: events.length, eventsSkipped: skipped, imageEvents };
}

/** Image-pull events by cause, `unclassified` or `repeat`; see {@link Diagnosis.imageEvents}. */
function countImageEvents(reads: Read[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { event, verdict } of reads) {
    let key: string | undefined;
    if (verdict.role === 'failed') key = verdict.classification?.cause ?? 'unclassified';
    else if (verdict.role === 'backoff') key = verdict.classification?.cause ?? 'repeat';
    else if (verdict.role === 'status' && statusEcho.test(event.message)) key = 'repeat';
    if (key !== undefined) counts[key] = (counts[key] ?? 0) + event.count;
  }
  return counts;
}
