/**
 * The host part of a connection string without credentials, for error messages that must not leak a password.
 * A pure rule of what may be shown, so config and the adapters share it without importing each other.
 */
export function redactUri(uri: string): string {
  // Also without a scheme (the very mistake being reported) and with an unescaped "@" or "/" in the password.
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(uri)?.[0] ?? '';
  const rest = uri.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  return at < 0 ? uri : `${scheme}***@${rest.slice(at + 1)}`;
}
