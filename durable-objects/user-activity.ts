import { DurableObject } from 'cloudflare:workers';

export class UserActivity extends DurableObject {}
