/**
 * HS256 JSON Web Tokens with WebCrypto. Tokens are JWT-shaped so tools (and people) can decode
 * them, but only this registry verifies them, so one shared HMAC key is enough.
 */
import type { ScopeEntry } from './access.ts';

/** Claims of access and refresh tokens (Docker token auth's shape plus `typ`). */
export interface TokenClaims {
  iss: string;
  /** User name; empty for anonymous tokens. */
  sub: string;
  aud: string;
  /** Seconds since the epoch. */
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  typ: 'access' | 'refresh';
  access: ScopeEntry[];
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** Signs and verifies tokens with one HMAC-SHA256 key. */
export class TokenSigner {
  readonly #key: Promise<CryptoKey>;

  /** `secret` is the raw HMAC key (any length; 32 random bytes is plenty). */
  constructor(secret: Uint8Array) {
    this.#key = crypto.subtle.importKey(
      'raw',
      new Uint8Array(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  /** A signed compact JWT of `claims`. */
  async sign(claims: TokenClaims): Promise<string> {
    const header = base64url(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
    const payload = base64url(encoder.encode(JSON.stringify(claims)));
    const signature = await crypto.subtle.sign(
      'HMAC',
      await this.#key,
      encoder.encode(`${header}.${payload}`),
    );
    return `${header}.${payload}.${base64url(new Uint8Array(signature))}`;
  }

  /** The claims of a token with a valid signature, or undefined; expiry is the caller's check. */
  async verify(token: string): Promise<TokenClaims | undefined> {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    try {
      const ok = await crypto.subtle.verify(
        'HMAC',
        await this.#key,
        fromBase64url(signature),
        encoder.encode(`${header}.${payload}`),
      );
      if (!ok) return undefined;
      return JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as TokenClaims;
    } catch {
      return undefined;
    }
  }
}

/** True when `claims` are valid at `nowSeconds`. */
export function isCurrent(claims: TokenClaims, nowSeconds: number): boolean {
  return claims.nbf <= nowSeconds && nowSeconds < claims.exp;
}

/** Compares two strings in time independent of where they differ (for passwords). */
export function sameSecret(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
