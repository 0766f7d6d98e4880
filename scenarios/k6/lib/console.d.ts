/**
 * k6's `console` (https://grafana.com/docs/k6/latest/javascript-api/#console): @types/k6 leaves it
 * to lib "dom" or @types/node, neither of which describes k6, so the scripts declare the part they use.
 */
declare global {
  var console: {
    log(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
    debug(...args: unknown[]): void;
  };
}

export {};
