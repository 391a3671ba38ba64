extension DeadlineWheel {
    /// The structural rules the wheel keeps, as messages; empty when all hold. Tests call it after
    /// every mutation (like `_checkInvariants()` in swift-collections). It does its O(n) work only
    /// in debug builds (`DEBUG`); release builds return no violations without looking.
    /// - Complexity: O(n + slots) in debug builds.
    public var _invariantViolations: [String] {
        #if DEBUG
        var violations: [String] = []
        var reachable = 0
        for list in 0...overflowList {
            var index = nodes[Int(list)].next
            var previous = list
            var length = 0
            while index != list {
                let node = nodes[Int(index)]
                if Int(index) < sentinelCount || Int(index) >= nodes.count {
                    violations.append("list \(list) links to node \(index), not a timer")
                    break
                }
                if node.prev != previous { violations.append("node \(index): prev \(node.prev), expected \(previous)") }
                if node.list != list { violations.append("node \(index) in list \(list) says it is in \(node.list)") }
                if node.tick < currentTick { violations.append("node \(index) due at tick \(node.tick) before now \(currentTick)") }
                if payloads[Int(index)] == nil { violations.append("pending node \(index) has no payload") }
                if list < overflowList {
                    let level = Int(list) / 64
                    let slot = Int(list) % 64
                    if (UInt64(bitPattern: node.tick) >> UInt64(6 * level)) & 63 != UInt64(slot) {
                        violations.append("node \(index) tick \(node.tick) is not in level \(level) slot \(slot)")
                    }
                    if UInt64(bitPattern: node.tick ^ currentTick) >> UInt64(6 * level + 6) != 0 {
                        violations.append("node \(index) tick \(node.tick) lies beyond level \(level) from now \(currentTick)")
                    }
                } else if level(ofTick: node.tick) < levels {
                    violations.append("overflow node \(index) tick \(node.tick) fits in the wheel")
                }
                previous = index
                index = node.next
                length += 1
                if length > nodes.count { violations.append("list \(list) has a cycle"); break }
            }
            if nodes[Int(list)].prev != previous { violations.append("list \(list): sentinel prev is not the tail") }
            if list < overflowList {
                let bit = occupied[Int(list) / 64] & (1 << UInt64(Int(list) % 64)) != 0
                if bit != (length > 0) { violations.append("list \(list): occupancy bit \(bit) but \(length) timers") }
            }
            reachable += length
        }
        if reachable != pending { violations.append("\(reachable) timers in lists, count says \(pending)") }
        var free = 0
        var index = freeHead
        while index != Self.noNode, free <= nodes.count {
            if nodes[Int(index)].list != Self.freeMark { violations.append("free-list node \(index) is not marked free") }
            if payloads[Int(index)] != nil { violations.append("free node \(index) holds a payload") }
            free += 1
            index = nodes[Int(index)].next
        }
        if free + pending + sentinelCount != nodes.count {
            violations.append("\(free) free + \(pending) pending + \(sentinelCount) sentinels ≠ \(nodes.count) nodes")
        }
        for list in 0...Int(overflowList) where minimumIsKnown[list] {
            var smallest = Int64.max
            var index = nodes[list].next
            while index != UInt32(list) {
                smallest = min(smallest, nodes[Int(index)].tick)
                index = nodes[Int(index)].next
            }
            if smallest != .max, smallest != listMinimum[list] {
                violations.append("list \(list): cached minimum \(listMinimum[list]) is not \(smallest)")
            }
        }
        return violations
        #else
        return []
        #endif
    }
}
