import path from 'node:path';
import {
  errors,
  type AcmeChallengeProvider,
  type AcmeChallengeRequest,
  type AcmeChallengeTarget,
} from '../../../sdk/index.js';
import { DirChain, type Owner } from './dir-chain.js';

const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/** The base that is trusted (the account's home) and the parts walked below it without following links. */
function route(target: AcmeChallengeTarget): { base: string; parts: string[]; owner: Owner } {
  const home = target.account?.home_dir;
  const rel = home ? path.relative(home, target.webroot) : '';
  if (home && (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)))
    throw errors.validation(`webroot: must be inside the account's home directory ${home}`);
  const a = target.account;
  return {
    base: home ?? target.webroot,
    parts: [...(rel ? rel.split('/') : []), '.well-known', 'acme-challenge'],
    owner: a && a.uid !== null && a.gid !== null ? { uid: a.uid, gid: a.gid } : null,
  };
}

/**
 * HTTP-01 through the domain's webroot: the key authorization is written to
 * `<webroot>/.well-known/acme-challenge/<token>` (the web server serves that path for every
 * vhost, suspended ones included) and removed afterwards, with any directory it had to create.
 * Files belong to the account in linux mode; links planted below the home are refused.
 */
export class Http01WebrootProvider implements AcmeChallengeProvider {
  readonly type = 'http-01' as const;
  readonly label = 'HTTP-01 webroot';
  private readonly open = new Map<string, { chain: DirChain; tokens: Set<string> }>();

  supports(target: AcmeChallengeTarget): boolean {
    return !target.name.startsWith('*.');
  }

  async present(target: AcmeChallengeTarget, challenge: AcmeChallengeRequest): Promise<void> {
    if (!TOKEN.test(challenge.token))
      throw errors.externalCommand('The CA sent a challenge token with unexpected characters');
    const r = route(target);
    const key = `${r.base}\0${r.parts.join('/')}`;
    let entry = this.open.get(key);
    if (!entry) {
      entry = { chain: new DirChain(r.base, r.parts, r.owner), tokens: new Set() };
      this.open.set(key, entry);
    }
    entry.tokens.add(challenge.token);
    entry.chain.writeFile(challenge.token, challenge.keyAuthorization, r.owner);
  }

  async cleanup(target: AcmeChallengeTarget, challenge: AcmeChallengeRequest): Promise<void> {
    const r = route(target);
    const key = `${r.base}\0${r.parts.join('/')}`;
    const entry = this.open.get(key);
    if (!entry || !entry.tokens.has(challenge.token)) return;
    entry.chain.removeFile(challenge.token);
    entry.tokens.delete(challenge.token);
    if (entry.tokens.size > 0) return;
    this.open.delete(key);
    entry.chain.removeCreated();
    entry.chain.close();
  }
}
