-- wrk script for the TrackBack endpoint: every request pings post 1 from a new
-- source URL, so each ping is stored. Run the binary with high limits, e.g.
--   crosstalk --ping-limit-ip 100000000 --ping-limit-post 100000000
--   wrk -t2 -c16 -d10s -s .ci/wrk-ping.lua http://127.0.0.1:8080/

local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end
request = function()
  counter = counter + 1
  local body = "url=https%3A%2F%2Fblog" .. id .. "-" .. counter .. ".example%2Fpost&title=A+reply&excerpt=Some+words+about+your+post&blog_name=Other"
  return wrk.format("POST", "/trackback/1", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
