/**
 * `npm run token -- <userId> [seconds]`: prints a user token for local development, signed
 * with USER_TOKEN_SECRET from the environment or the development default. A website's back
 * end does the same with its own secret.
 */
import { DEV_USER_TOKEN_SECRET } from '../src/config.ts';
import { signUserToken } from '../src/http/jwt.ts';

const [userId, seconds = '3600'] = process.argv.slice(2);
if (!userId) {
  console.error('usage: npm run token -- <userId> [validity in seconds, default 3600]');
  process.exit(2);
}
const secret = process.env.USER_TOKEN_SECRET || DEV_USER_TOKEN_SECRET;
const exp = Math.floor(Date.now() / 1000) + Number(seconds);
console.log(await signUserToken({ sub: userId, exp }, secret));
