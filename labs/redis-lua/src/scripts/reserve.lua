-- reserve: the redis-lua lab's stock reservation, as one atomic step on the server.
--
-- Contract: moves ARGV[1] units of the item hash KEYS[1] from `available` to `reserved` and appends
-- the change to the ledger stream KEYS[2] - both or neither; available + reserved never changes.
-- Replies {'ok', available after, reserved after} or {'fail', reason}:
--   not_found      the item hash does not exist, or lacks either field (nothing is created or completed:
--                  a half-written item is not an item this script may guess the rest of)
--   out_of_stock   fewer than ARGV[1] units are available (0 available included); nothing changes
--   invalid_amount ARGV[1] is not a positive integer (the lab checks first; this is the last guard)
-- Exactly ARGV[1] available succeeds and leaves 0.
-- ARGV: 1 qty, 2 op id, 3 lab, 4 subject ('item:<sku>').
local qty = tonumber(ARGV[1])
if not qty or qty <= 0 or qty % 1 ~= 0 then
  return {'fail', 'invalid_amount'}
end
local counts = redis.call('HMGET', KEYS[1], 'available', 'reserved')
local available = counts[1]
if not available or not counts[2] then
  return {'fail', 'not_found'}
end
if tonumber(available) < qty then
  return {'fail', 'out_of_stock'}
end
local left = redis.call('HINCRBY', KEYS[1], 'available', -qty)
local reserved = redis.call('HINCRBY', KEYS[1], 'reserved', qty)
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('XADD', KEYS[2], '*', 'op', ARGV[2], 'lab', ARGV[3], 'subject', ARGV[4], 'kind', 'reserve',
  'delta', -qty, 'value', left)
return {'ok', left, reserved}
