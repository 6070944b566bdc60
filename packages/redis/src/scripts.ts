/**
 * Keeps the later of the stored and the new not-before time, and the longer of the two
 * retentions, in one atomic step: two instances revoking the same user at once (or with skewed
 * clocks) must never move the cut-off backwards or shorten how long it is kept.
 * KEYS[1] not-before key; ARGV[1] not-before (epoch ms); ARGV[2] retention (ms from now).
 */
export const NOT_BEFORE_SCRIPT = `
local notBefore = ARGV[1]
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) > tonumber(notBefore) then notBefore = current end
local ttl = tonumber(ARGV[2])
local remaining = redis.call('PTTL', KEYS[1])
if remaining > ttl then ttl = remaining end
redis.call('SET', KEYS[1], notBefore, 'PX', ttl)
return 1
`;

/**
 * Adds one session to a user's sorted set (score = expiry), drops expired ones, trims the set to
 * the newest-expiring `max` entries, and lets the whole key expire with its last session, so no
 * sweeper (and never KEYS) is needed. Atomic, so concurrent logins cannot overshoot the cap.
 * KEYS[1] sessions key; ARGV: now (ms), expiry (ms), member, max, retention margin (ms).
 */
export const RECORD_SESSION_SCRIPT = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if excess > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1) end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local ttl = math.floor(tonumber(last[2]) - now + tonumber(ARGV[5]))
if ttl < 1 then ttl = 1 end
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`;
