-- change-balance: the redis-lua lab's withdraw and deposit, as one atomic step on the server.
--
-- Contract: adds the signed integer ARGV[1] to the balance of the account hash KEYS[1] and appends
-- the change to the ledger stream KEYS[2] - both or neither, because Redis runs a script to its end
-- before it serves any other command. Replies {'ok', balance after as a decimal string} or
-- {'fail', reason}. A string, not an integer reply: ioredis's decoder rounds integers close to 2^53
-- (it adds the digit's byte before subtracting '0'), and a string read back with Number() is exact.
--   not_found          the account hash does not exist (nothing is created)
--   insufficient_funds the balance would go below 0
--   limit_exceeded     the balance would pass 9007199254740991 (2^53 - 1, the largest value the lab
--                      keeps): past it, Lua's numbers (doubles) and the lab's would round the balance
--   invalid_amount     ARGV[1] is 0, not an integer, or past 2^53 - 1 either way (the lab checks
--                      first; this is the last guard)
-- Below that limit every number here is exact, so the ledger stream never holds a rounded value.
-- ARGV: 1 delta, 2 kind ('withdraw' | 'deposit'), 3 op id, 4 lab, 5 subject ('account:<id>').
local MAX_VALUE = 9007199254740991
local delta = tonumber(ARGV[1])
if not delta or delta == 0 or delta % 1 ~= 0 or delta > MAX_VALUE or delta < -MAX_VALUE then
  return {'fail', 'invalid_amount'}
end
local balance = redis.call('HGET', KEYS[1], 'balance')
if not balance then
  return {'fail', 'not_found'}
end
-- Both are at most 2^53 - 1, so a sum past the limit rounds to 2^53 or more, never below it.
if tonumber(balance) + delta < 0 then
  return {'fail', 'insufficient_funds'}
end
if tonumber(balance) + delta > MAX_VALUE then
  return {'fail', 'limit_exceeded'}
end
redis.call('HINCRBY', KEYS[1], 'balance', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'version', 1)
-- Redis's own decimal text of the new balance: exact, where a Lua number's tostring() is not.
local after = redis.call('HGET', KEYS[1], 'balance')
redis.call('XADD', KEYS[2], '*', 'op', ARGV[3], 'lab', ARGV[4], 'subject', ARGV[5], 'kind', ARGV[2],
  'delta', ARGV[1], 'value', after)
return {'ok', after}
