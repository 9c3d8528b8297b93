import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * The client address: the socket peer, or the right-most untrusted `X-Forwarded-For` hop when the
 * peer is a configured proxy. Other headers (CF-Connecting-IP, X-Real-IP) are never trusted.
 */
export function createClientIpResolver(trustedProxies: string[]): (req: IncomingMessage) => string {
  const list = new BlockList();
  for (const entry of trustedProxies) {
    const [addr, bits] = entry.split('/');
    const family = isIP(addr ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (!addr || !isIP(addr)) continue;
    if (bits) list.addSubnet(addr, Number(bits), family);
    else list.addAddress(addr, family);
  }
  const trusted = (ip: string) => {
    const clean = unmapped(ip);
    const fam = isIP(clean) === 6 ? 'ipv6' : 'ipv4';
    return isIP(clean) !== 0 && list.check(clean, fam);
  };
  return (req) => {
    const peer = unmapped(req.socket.remoteAddress ?? '');
    if (!trustedProxies.length || !trusted(peer)) return peer;
    const hops = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = unmapped(hops[i]!);
      if (!isIP(hop)) return peer;
      if (!trusted(hop)) return hop;
    }
    return peer;
  };
}

/** An IPv4-mapped IPv6 address as plain IPv4 (`::ffff:10.0.0.1` → `10.0.0.1`). */
function unmapped(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** True for 127.0.0.0/8 and ::1. */
export function isLoopback(ip: string): boolean {
  const clean = unmapped(ip);
  return clean === '::1' || /^127\./.test(clean);
}
