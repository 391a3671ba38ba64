extension WorkingCalendar {
    /// A stable fingerprint of everything that decides working time: the zone, the office hours,
    /// the loaded years and every day they set. Two calendars with the same fingerprint project
    /// every deadline alike; a node compares it with the one its stored deadlines were projected
    /// with, and re-projects them when it differs.
    ///
    /// 16 hex digits: FNV-1a (64-bit) of a canonical text, the same in every release and process.
    /// - Complexity: O(loaded days).
    public var fingerprint: String {
        var text = "zone=\(zone.identifier)\(zone.offsetText);hours=\(officeHours.text);years=\(loadedYears.map(String.init).joined(separator: ","));"
        for day in index.overrides.keys.sorted() {
            text += "\(day)\(index.overrides[day]?.isOffDay == true ? "off" : "work");"
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// What the calendar is, for people: `Asia/Shanghai +08:00, 08:30-12:00,14:30-17:30, holidays 2024-2026`.
    public var summary: String {
        let years = loadedYears
        var holidays = "no holiday data"
        if let first = years.first, let last = years.last {
            holidays = first == last ? "holidays \(first)"
                : last - first + 1 == years.count ? "holidays \(first)-\(last)"
                : "holidays " + years.map(String.init).joined(separator: ",")
        }
        return "\(zone.identifier) \(zone.offsetText), \(officeHours.text), \(holidays)"
    }
}
