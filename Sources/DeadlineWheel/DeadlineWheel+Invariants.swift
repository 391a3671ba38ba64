extension DeadlineWheel {
    /// The structural rules the wheel keeps, as messages; empty when all hold. Tests call it after
    /// every mutation (like `_checkInvariants()` in swift-collections). It does its O(n) work only
    /// in debug builds (`DEBUG`); release builds return no violations without looking.
    /// - Complexity: O(n + chunks + slots) in debug builds.
    public var _invariantViolations: [String] {
        #if DEBUG
        var violations: [String] = []
        var liveEntries = Array(repeating: 0, count: nodes.count)
        var chunksInLists = 0
        var stale = 0
        for list in 0...Int(overflowList) {
            let header = lists[list]
            var live = 0
            var smallest = Int64.max
            var chunk = header.head
            var offset = header.headOffset
            while chunk != Self.noChunk {
                chunksInLists += 1
                if chunksInLists > chunkNext.count { violations.append("list \(list): chunk chain has a cycle"); break }
                let used = chunk == header.tail ? header.tailCount : Self.chunkCapacity
                if offset >= used { violations.append("list \(list): chunk \(chunk) read past its \(used) entries") }
                while offset < used {
                    let entry = entries[Int(chunk) * Self.chunkCapacity + offset]
                    offset += 1
                    guard Int(entry.node) < nodes.count else {
                        violations.append("list \(list) has an entry for node \(entry.node), not a node")
                        continue
                    }
                    guard isLive(entry, in: list) else {
                        stale += 1
                        continue
                    }
                    live += 1
                    liveEntries[Int(entry.node)] += 1
                    let tick = nodes[Int(entry.node)].tick
                    smallest = min(smallest, tick)
                    violations += placementViolations(node: entry.node, tick: tick, list: list)
                }
                chunk = chunk == header.tail ? Self.noChunk : chunkNext[Int(chunk)]
                offset = 0
            }
            if (header.head == Self.noChunk) != (header.tail == Self.noChunk) {
                violations.append("list \(list): head \(header.head) and tail \(header.tail) disagree")
            }
            if list < Int(overflowList) {
                let bit = occupied[list / 64] & (1 << UInt64(list % 64)) != 0
                if bit != (header.head != Self.noChunk) { violations.append("list \(list): occupancy bit \(bit), head \(header.head)") }
            }
            if live > 0 {
                if header.minimum > smallest { violations.append("list \(list): cached minimum \(header.minimum) above \(smallest)") }
                if isLive(header.minimumEntry, in: list), header.minimum != smallest {
                    violations.append("list \(list): live minimum entry says \(header.minimum), not \(smallest)")
                }
            }
        }
        if stale != staleEntries { violations.append("\(stale) stale entries, count says \(staleEntries)") }
        var pendingNodes = 0
        for (index, node) in nodes.enumerated() where node.list != Self.freeMark {
            pendingNodes += 1
            if liveEntries[index] != 1 { violations.append("pending node \(index) has \(liveEntries[index]) live entries") }
            if node.payload == nil { violations.append("pending node \(index) has no payload") }
        }
        if pendingNodes != pending { violations.append("\(pendingNodes) pending nodes, count says \(pending)") }
        var free = 0
        var index = freeNode
        while index != Self.noNode, free <= nodes.count {
            if nodes[Int(index)].list != Self.freeMark { violations.append("free-list node \(index) is not marked free") }
            if nodes[Int(index)].payload != nil { violations.append("free node \(index) holds a payload") }
            free += 1
            index = UInt32(truncatingIfNeeded: nodes[Int(index)].tick)
        }
        if free + pending != nodes.count { violations.append("\(free) free + \(pending) pending ≠ \(nodes.count) nodes") }
        var freeChunks = 0
        var chunk = freeChunk
        while chunk != Self.noChunk, freeChunks <= chunkNext.count {
            freeChunks += 1
            chunk = chunkNext[Int(chunk)]
        }
        if freeChunks + chunksInLists != chunkNext.count {
            violations.append("\(freeChunks) free + \(chunksInLists) listed chunks ≠ \(chunkNext.count) chunks")
        }
        if entries.count != chunkNext.count * Self.chunkCapacity {
            violations.append("\(entries.count) entries for \(chunkNext.count) chunks")
        }
        return violations
        #else
        return []
        #endif
    }

    #if DEBUG
    /// Where a timer due at `tick` must sit: not before now; in a slot of its level whose range
    /// holds the tick; in the overflow list only when no level does.
    private func placementViolations(node: UInt32, tick: Int64, list: Int) -> [String] {
        var violations: [String] = []
        if tick < currentTick { violations.append("node \(node) due at tick \(tick) before now \(currentTick)") }
        if list < Int(overflowList) {
            let level = list / 64
            let slot = list % 64
            if (UInt64(bitPattern: tick) >> UInt64(6 * level)) & 63 != UInt64(slot) {
                violations.append("node \(node) tick \(tick) is not in level \(level) slot \(slot)")
            }
            if UInt64(bitPattern: tick ^ currentTick) >> UInt64(6 * level + 6) != 0 {
                violations.append("node \(node) tick \(tick) lies beyond level \(level) from now \(currentTick)")
            }
        } else if level(ofTick: tick) < levels {
            violations.append("overflow node \(node) tick \(tick) fits in the wheel")
        }
        return violations
    }
    #endif
}
