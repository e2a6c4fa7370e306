-- withdraw-joint: the redis-lua lab's withdrawal from one of a customer's two accounts, as one atomic
-- step on the server.
--
-- Contract: takes the positive integer ARGV[1] from the account hash KEYS[1] when the balances of
-- KEYS[1] and of its partner KEYS[2] together hold at least that much (KEYS[1] alone may go below 0),
-- and appends the change to the ledger stream KEYS[3]. Both balances are read inside the script,
-- which Redis runs to its end before it serves any other command: no other withdrawal can change
-- the partner between this read and this write, so two of them cannot both spend the same sum.
-- Replies {'ok', KEYS[1]'s balance after as a decimal string} or {'fail', reason}:
--   not_found          either account hash does not exist (nothing is created)
--   insufficient_funds the two balances together would go below 0
--   invalid_amount     ARGV[1] is not a positive integer (the lab checks first; this is the last guard)
--   invalid_request    KEYS[1] and KEYS[2] are the same account (the lab checks first)
-- ARGV: 1 amount, 2 op id, 3 lab, 4 subject of KEYS[1] ('account:<id>').
local amount = tonumber(ARGV[1])
if not amount or amount <= 0 or amount % 1 ~= 0 then
  return {'fail', 'invalid_amount'}
end
if KEYS[1] == KEYS[2] then
  return {'fail', 'invalid_request'}
end
local mine = redis.call('HGET', KEYS[1], 'balance')
local partner = redis.call('HGET', KEYS[2], 'balance')
if not mine or not partner then
  return {'fail', 'not_found'}
end
if tonumber(mine) + tonumber(partner) < amount then
  return {'fail', 'insufficient_funds'}
end
redis.call('HINCRBY', KEYS[1], 'balance', -amount)
redis.call('HINCRBY', KEYS[1], 'version', 1)
-- Redis's own decimal text of the new balance: exact, where a Lua number's tostring() is not.
local after = redis.call('HGET', KEYS[1], 'balance')
redis.call('XADD', KEYS[3], '*', 'op', ARGV[2], 'lab', ARGV[3], 'subject', ARGV[4], 'kind', 'withdraw',
  'delta', -amount, 'value', after)
return {'ok', after}
