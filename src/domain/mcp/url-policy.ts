/**
 * Which MCP server URLs a request may name (docs/mcp.md "Safety"). The server fetches `server_url` on the
 * client's behalf, so a URL must not reach the operator's own network: `https` only (plain `http` to the
 * hosts MCP_ALLOW_HTTP_HOSTS lists), no credentials in the URL (they would be stored with the tool), and
 * no private, loopback or link-local address, literal or `localhost` name (unless MCP_ALLOW_PRIVATE_HOSTS
 * lists it). A public name resolving to a private address is not caught here: Workers' `fetch` does not
 * reach private networks in production (docs/mcp.md).
 */

export interface McpUrlPolicy {
  /** Hosts (`host` or `host:port`, lowercase) that may be reached over plain http. */
  allowHttpHosts: readonly string[];
  /** Hosts that may be reached although they are private, loopback or link-local. */
  allowPrivateHosts: readonly string[];
}

/** Why `raw` may not be used as a server URL, or null when it may. */
export function serverUrlProblem(raw: string, policy: McpUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `Invalid 'server_url': '${raw}' is not a valid URL.`;
  }
  if (url.username !== '' || url.password !== '') return "Invalid 'server_url': credentials in the URL are not accepted; send them with 'headers' or 'authorization'.";
  const host = url.hostname.toLowerCase();
  const hostPort = url.host.toLowerCase();
  const listed = (list: readonly string[]) => list.some((h) => sameHost(h, host) || h.toLowerCase() === hostPort);
  if (url.protocol === 'http:') {
    if (!listed(policy.allowHttpHosts)) return `Invalid 'server_url': MCP servers must be reached over https ('${url.host}' is not allowed over plain http).`;
  } else if (url.protocol !== 'https:') {
    return `Invalid 'server_url': the scheme '${url.protocol.replace(':', '')}' is not supported; use https.`;
  }
  if (isPrivateHost(host) && !listed(policy.allowPrivateHosts)) {
    return `Invalid 'server_url': '${url.hostname}' is a private, loopback or link-local address, which MCP servers may not use.`;
  }
  return null;
}

/** A setting's entry names a host with or without IPv6 brackets. */
function sameHost(entry: string, host: string): boolean {
  const e = entry.toLowerCase();
  return e === host || `[${e}]` === host || e === `[${host}]`;
}

/** Whether a URL's hostname (as `URL` normalises it) is a local name or a non-public literal address. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  if (host.startsWith('[')) return isPrivateIpv6(host.slice(1, -1));
  const v4 = ipv4(host);
  return v4 !== null && isPrivateIpv4(v4);
}

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function isPrivateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 || // loopback
    (a === 100 && b! >= 64 && b! <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local (cloud metadata endpoints)
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    a! >= 224 // multicast and reserved
  );
}

function isPrivateIpv6(addr: string): boolean {
  if (addr === '::' || addr === '::1') return true;
  // IPv4-mapped (::ffff:a.b.c.d, which URL writes as ::ffff:xxxx:xxxx): judged by its IPv4 address.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(addr);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return isPrivateIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  const first = parseInt(addr.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 // multicast
  );
}
