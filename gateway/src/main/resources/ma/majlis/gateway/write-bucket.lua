-- One client's write bucket, shared by every gateway replica: takes one write, or says how long until one is there.
-- KEYS[1]: the client's bucket. ARGV[1]: burst (writes). ARGV[2]: microseconds for one write to come back.
-- Returns 0 when the write may go ahead, otherwise the microseconds to wait. Redis's own clock is used, so replicas
-- whose clocks disagree still agree on the bucket.
local burst = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) / period)
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * period)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
-- An untouched bucket is full again after burst periods: then it may go.
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * period / 1000) + 1000)
return wait
