/**
 * The three `Reflect` metadata functions tsyringe (a dependency of @peculiar/x509) needs at load
 * time: `defineMetadata`, `getOwnMetadata`, `getMetadata`. x509 requires *some* polyfill
 * (reflect-metadata, core-js, …); none is among the project's dependencies and this small subset
 * is all that is used, so it lives here instead. It installs nothing if a full polyfill is
 * already present. Import it only through x509.ts, which orders it before the library.
 */
type Target = object;
type Store = WeakMap<Target, Map<PropertyKey | undefined, Map<unknown, unknown>>>;

interface MetadataReflect {
  defineMetadata?(key: unknown, value: unknown, target: Target, property?: PropertyKey): void;
  getOwnMetadata?(key: unknown, target: Target, property?: PropertyKey): unknown;
  getMetadata?(key: unknown, target: Target, property?: PropertyKey): unknown;
}

const reflect = Reflect as unknown as MetadataReflect;

if (typeof reflect.getMetadata !== 'function') {
  const store: Store = new WeakMap();
  const own = (target: Target, property: PropertyKey | undefined, create: boolean) => {
    let byProperty = store.get(target);
    if (!byProperty) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let byKey = byProperty.get(property);
    if (!byKey && create) {
      byKey = new Map();
      byProperty.set(property, byKey);
    }
    return byKey;
  };
  const methods: Required<MetadataReflect> = {
    defineMetadata(key, value, target, property) {
      own(target, property, true)!.set(key, value);
    },
    getOwnMetadata(key, target, property) {
      return own(target, property, false)?.get(key);
    },
    // Metadata is inherited along the prototype chain, as in reflect-metadata.
    getMetadata(key, target, property) {
      for (let t: Target | null = target; t !== null; t = Object.getPrototypeOf(t)) {
        const byKey = own(t, property, false);
        if (byKey?.has(key)) return byKey.get(key);
      }
      return undefined;
    },
  };
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Reflect, name, { value: fn, configurable: true, writable: true });
  }
}
