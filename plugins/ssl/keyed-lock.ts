// Provision, renewal, upload and removal of one domain's certificate run one at a time per
// domain; the lock itself is the SDK's (the dns plugin serialises zone changes with it too).
export { KeyedLock } from '../../sdk/index.js';
