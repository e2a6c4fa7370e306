-- transfer: the redis-lua lab's transfer between two accounts, as one atomic step on the server.
--
-- Contract: moves the positive integer ARGV[1] from the account hash KEYS[1] to the account hash
-- KEYS[2] and appends one entry per account to the ledger stream KEYS[3] - all of it or none,
-- because Redis runs a script to its end before it serves any other command, and every refusal
-- below is decided before the first write. Replies {'ok', from's balance after, to's balance after}
-- or {'fail', reason}:
--   not_found          either account hash does not exist (nothing is created)
--   insufficient_funds the balance of KEYS[1] would go below 0
--   limit_exceeded     the balance of KEYS[2] would pass MAX_VALUE (2^53 - 1), the largest kept exactly
--   invalid_amount     ARGV[1] is not a positive integer (the lab checks first; this is the last guard)
--   invalid_request    KEYS[1] and KEYS[2] are the same account (the lab checks first)
-- ARGV: 1 amount, 2 op id, 3 lab, 4 from's subject, 5 to's subject ('account:<id>').
local MAX_VALUE = 9007199254740991
local amount = tonumber(ARGV[1])
if not amount or amount <= 0 or amount % 1 ~= 0 then
  return {'fail', 'invalid_amount'}
end
if KEYS[1] == KEYS[2] then
  return {'fail', 'invalid_request'}
end
local from = redis.call('HGET', KEYS[1], 'balance')
local to = redis.call('HGET', KEYS[2], 'balance')
if not from or not to then
  return {'fail', 'not_found'}
end
if tonumber(from) < amount then
  return {'fail', 'insufficient_funds'}
end
if tonumber(to) + amount > MAX_VALUE then
  return {'fail', 'limit_exceeded'}
end
redis.call('HINCRBY', KEYS[1], 'balance', -amount)
redis.call('HINCRBY', KEYS[2], 'balance', amount)
-- Redis's own decimal text of the new balances: exact, where a Lua number's tostring() is not.
local fromAfter = redis.call('HGET', KEYS[1], 'balance')
local toAfter = redis.call('HGET', KEYS[2], 'balance')
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HINCRBY', KEYS[2], 'version', 1)
redis.call('XADD', KEYS[3], '*', 'op', ARGV[2], 'lab', ARGV[3], 'subject', ARGV[4], 'kind', 'transfer',
  'delta', -amount, 'value', fromAfter)
redis.call('XADD', KEYS[3], '*', 'op', ARGV[2], 'lab', ARGV[3], 'subject', ARGV[5], 'kind', 'transfer',
  'delta', amount, 'value', toAfter)
return {'ok', fromAfter, toAfter}
