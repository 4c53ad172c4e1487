(module $bt
  (import "host" "fail" (func $fail (param i32) (result i32)))
  (memory 1)
  (table 3 funcref)
  (elem (i32.const 0) $load $div $host)
  (type $t (func (param i32) (result i32)))
  (func $load (param i32) (result i32)
    local.get 0
    i32.load offset=4)
  (func $div (param i32) (result i32)
    i32.const 100
    local.get 0
    i32.div_s)
  (func $host (param i32) (result i32)
    local.get 0
    call $fail
    i32.const 1
    i32.add)
  (func $via_table (param i32 i32) (result i32)
    local.get 1
    local.get 0
    call_indirect (type $t)
    i32.const 3
    i32.mul)
  (func $twice (param i32 i32) (result i32)
    local.get 0
    local.get 1
    call $via_table
    local.get 0
    local.get 1
    call $via_table
    i32.add)
  (func $recurse (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add
    call $recurse)
  (func (export "oob") (param i32) (result i32)
    i32.const 0
    local.get 0
    call $twice)
  (func (export "divzero") (param i32) (result i32)
    i32.const 1
    local.get 0
    call $twice)
  (func (export "hosttrap") (param i32) (result i32)
    i32.const 2
    local.get 0
    call $twice)
  (func (export "badindex") (param i32) (result i32)
    i32.const 7
    local.get 0
    call $twice)
  (func (export "overflow") (param i32) (result i32)
    local.get 0
    call $recurse)
  (func (export "unreachable_in_loop") (param i32) (result i32)
    (loop $l
      local.get 0
      i32.const 1
      i32.sub
      local.tee 0
      br_if $l)
    unreachable)
)
