-- basket: the redis-lua lab's multi-item order, as one atomic step on the server.
--
-- Contract: for every line i (1..n), moves ARGV[1 + 2i] units of the item hash KEYS[i] (all distinct) from
-- `available` to `reserved`, and appends one entry per line to the ledger stream KEYS[n + 1] - every
-- line or none: every line is checked before the first write, and Redis runs a script to its end
-- before it serves any other command. Replies {'ok', available after, reserved after, ...} (one
-- pair per line, in the order given) or {'fail', reason}:
--   not_found      an item hash does not exist, or lacks either count (nothing is created or completed)
--   out_of_stock   an item has fewer units available than its line asks for; nothing changes
--   invalid_amount a quantity is not a positive integer (the lab checks first; this is the last guard)
-- ARGV: 1 op id, 2 lab, then per line its qty and its subject ('item:<sku>').
local n = #KEYS - 1
local ledger = KEYS[n + 1]
for i = 1, n do
  local qty = tonumber(ARGV[1 + 2 * i])
  if not qty or qty <= 0 or qty % 1 ~= 0 then
    return {'fail', 'invalid_amount'}
  end
  local counts = redis.call('HMGET', KEYS[i], 'available', 'reserved')
  if not counts[1] or not counts[2] then
    return {'fail', 'not_found'}
  end
end
for i = 1, n do
  if tonumber(redis.call('HGET', KEYS[i], 'available')) < tonumber(ARGV[1 + 2 * i]) then
    return {'fail', 'out_of_stock'}
  end
end
local reply = {'ok'}
for i = 1, n do
  local qty = tonumber(ARGV[1 + 2 * i])
  redis.call('HINCRBY', KEYS[i], 'available', -qty)
  redis.call('HINCRBY', KEYS[i], 'reserved', qty)
  redis.call('HINCRBY', KEYS[i], 'version', 1)
  -- Redis's own decimal text of the counts: exact, as the other scripts reply them.
  local after = redis.call('HMGET', KEYS[i], 'available', 'reserved')
  local left, reserved = after[1], after[2]
  redis.call('XADD', ledger, '*', 'op', ARGV[1], 'lab', ARGV[2], 'subject', ARGV[2 + 2 * i], 'kind', 'basket',
    'delta', -qty, 'value', left)
  reply[#reply + 1] = left
  reply[#reply + 1] = reserved
end
return reply
