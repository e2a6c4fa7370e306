-- release-lock: gives back a lock taken with SET key token NX PX ttl (the redis-lock lab).
--
-- Contract: deletes the lock KEYS[1] only while it still holds ARGV[1], the random token its holder
-- set when it took it; replies 1 when it deleted it, 0 when it did not. 0 means the lock expired
-- (its TTL ran out while the holder worked) and may now belong to someone else: a plain DEL would
-- remove that other holder's lock and let a third client in. GET and DEL run as one step here, so
-- no other client can take the lock between the check and the delete.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
