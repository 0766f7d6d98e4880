/**
 * The image-pull failure classifier: the troubleshooting decision tree as one rule table
 * (`rules.ts`) from real error text to a cause and a remediation, for any backend, plus the
 * reading of a real cluster's `kubectl get events -o json` (`pullstorm diagnose`).
 */
export { CAUSE_IDS, CAUSES, type CauseId, type CauseInfo } from '../../vocab/causes.ts';
export { type Classification, classify } from './classify.ts';
export { type Diagnosis, diagnoseEvents, type PodDiagnosis } from './diagnose.ts';
export { classifyEvent, type EventClassification, type EventLike, type EventRole } from './event.ts';
export { type PodEvent, type ReadEvents, readEventList } from './event-list.ts';
export { type ExplainResult, type Explanation, explain, records } from './explain.ts';
export { type FormatOptions, formatDiagnosis } from './format.ts';
export { formatExplanation } from './format-explain.ts';
export { RULES, type Rule } from './rules.ts';
