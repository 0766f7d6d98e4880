/**
 * The fault layer of the registry stub: the catalogue of every fault, the engine that applies
 * them at run time, the control API, and each HTTP fault's factory for direct use.
 *
 * ```ts
 * await using registry = await startRegistry({ images: fixtureImages(), controlToken: 't' });
 * const quota = await registry.faults.apply({ fault: 'rate-limit', options: { limit: 3 }, scope: { route: 'manifest' } });
 * await quota.clear();
 * ```
 */
export { type AuthBadCredentialsOptions, authBadCredentials } from './auth-bad-credentials/index.ts';
export { type AuthChallengeErrorOptions, authChallengeError } from './auth-challenge-error/index.ts';
export { type AuthInsufficientScopeOptions, authInsufficientScope } from './auth-insufficient-scope/index.ts';
export { type AuthNoCredentialsOptions, authNoCredentials } from './auth-no-credentials/index.ts';
export { type AuthTokenEndpointOptions, authTokenEndpoint } from './auth-token-endpoint/index.ts';
export { type AuthTokenExpiryOptions, authTokenExpiry } from './auth-token-expiry/index.ts';
export {
  CATALOGUE,
  type CatalogueEntry,
  catalogueEntry,
  expectedCausesByFault,
  FAULT_NAMES,
  type FaultName,
  type FaultOptionsByName,
  scenarioContext,
} from './catalogue.ts';
export { CONTROL_PATH, controlApi } from './control.ts';
export { type CorruptBlobOptions, corruptBlob } from './corrupt-blob/index.ts';
export {
  type AppliedFault,
  createFaultEngine,
  type FaultEngine,
  type FaultEngineOptions,
  type FaultEvent,
  type FaultSpec,
  type FaultSummary,
  specProblems,
} from './engine.ts';
export { FaultError, type FaultErrorCode, faultErrorStatus } from './errors.ts';
export { type MissingBlobOptions, missingBlob } from './missing-blob/index.ts';
export type { OptionSpec, OptionSpecs } from './options.ts';
export { DOCKER_HUB_MESSAGE, type RateLimitOptions, rateLimit } from './rate-limit/index.ts';
export { type RegistryDownOptions, registryDown } from './registry-down/index.ts';
export { type FaultScope, SCOPE_ROUTES } from './scope.ts';
export { type ServerErrorOptions, serverError } from './server-error/index.ts';
export { type TagOverwriteOptions, tagOverwrite } from './tag-overwrite/index.ts';
export { REBUILD_LABEL } from './tag-overwrite/rebuild.ts';
export { type TruncatedBlobOptions, truncatedBlob } from './truncated-blob/index.ts';
export type * from './types.ts';
export { type UnknownTagOptions, unknownTag } from './unknown-tag/index.ts';
export { type WrongArchOptions, wrongArch } from './wrong-arch/index.ts';
export { type WrongLengthOptions, wrongLength } from './wrong-length/index.ts';
export { type WrongPlatformOptions, wrongPlatform } from './wrong-platform/index.ts';
