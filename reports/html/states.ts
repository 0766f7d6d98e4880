/**
 * Pod states as the charts colour them: kubelet's phase and waiting reason folded into a few
 * categories a reader can tell apart at a glance. Keyed records, so adding a category makes the
 * compiler ask for its colour and label.
 */

/** Categories in stacking order, healthiest at the bottom of the stacked chart. */
export const POD_STATES = [
  'running',
  'succeeded',
  'pending',
  'backoff',
  'pull-error',
  'start-error',
  'failed',
] as const;

/** One pod-state category. */
export type PodStateCategory = (typeof POD_STATES)[number];

// Colours from the Okabe–Ito palette where possible, so the categories survive colour blindness;
// the legend names them in words as well.
/** Label and colour of each category. */
export const POD_STATE_STYLE: Readonly<Record<PodStateCategory, { label: string; colour: string }>> = {
  running: { label: 'Running', colour: '#009e73' },
  succeeded: { label: 'Succeeded', colour: '#56b4e9' },
  pending: { label: 'Pending (creating, pulling)', colour: '#c9ced6' },
  backoff: { label: 'ImagePullBackOff', colour: '#e69f00' },
  'pull-error': { label: 'ErrImagePull and other image errors', colour: '#d55e00' },
  'start-error': { label: 'CrashLoopBackOff, start errors', colour: '#cc79a7' },
  failed: { label: 'Failed', colour: '#3b3b3b' },
};

const byReason: Readonly<Record<string, PodStateCategory>> = {
  ImagePullBackOff: 'backoff',
  ErrImagePull: 'pull-error',
  ErrImageNeverPull: 'pull-error',
  InvalidImageName: 'pull-error',
  ImageInspectError: 'pull-error',
  CrashLoopBackOff: 'start-error',
  CreateContainerError: 'start-error',
  RunContainerError: 'start-error',
};

/** The category of a pod phase and waiting reason. */
export function categorise(phase: string, reason?: string): PodStateCategory {
  if (phase === 'Running') return 'running';
  if (phase === 'Succeeded') return 'succeeded';
  if (phase === 'Failed') return 'failed';
  return (reason !== undefined ? byReason[reason] : undefined) ?? 'pending';
}
