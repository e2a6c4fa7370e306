-- change-balance: the redis-lua lab's withdraw and deposit, as one atomic step on the server.
--
-- Contract: adds the signed integer ARGV[1] to the balance of the account hash KEYS[1] and appends
-- the change to the ledger stream KEYS[2] - both or neither, because Redis runs a script to its end
-- before it serves any other command. Replies {'ok', balance after} or {'fail', reason}:
--   not_found          the account hash does not exist (nothing is created)
--   insufficient_funds the balance would go below 0
--   invalid_amount     ARGV[1] is 0 or not an integer (the lab checks first; this is the last guard)
-- ARGV: 1 delta, 2 kind ('withdraw' | 'deposit'), 3 op id, 4 lab, 5 subject ('account:<id>').
local delta = tonumber(ARGV[1])
if not delta or delta == 0 or delta % 1 ~= 0 then
  return {'fail', 'invalid_amount'}
end
local balance = redis.call('HGET', KEYS[1], 'balance')
if not balance then
  return {'fail', 'not_found'}
end
if tonumber(balance) + delta < 0 then
  return {'fail', 'insufficient_funds'}
end
local after = redis.call('HINCRBY', KEYS[1], 'balance', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('XADD', KEYS[2], '*', 'op', ARGV[3], 'lab', ARGV[4], 'subject', ARGV[5], 'kind', ARGV[2],
  'delta', ARGV[1], 'value', after)
return {'ok', after}
