// Types of .dependency-cruiser.mjs for the layering test (the config itself stays plain JavaScript,
// which is what dependency-cruiser's CLI loads).
import type { ICruiseOptions, IForbiddenRuleType } from 'dependency-cruiser';

export declare const LAYERS: readonly string[];
export declare function layerRules(layers: readonly string[]): IForbiddenRuleType[];
declare const config: { forbidden: IForbiddenRuleType[]; options: ICruiseOptions };
export default config;
