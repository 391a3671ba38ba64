package import Foundation

/// Encodes `Encodable` values as JSON straight into a byte buffer, for the case log's rows.
///
/// The output is what Foundation's `JSONEncoder` (default strategies) writes, up to key order
/// and number spelling, so `JSONDecoder` reads it back unchanged: dates as seconds since the
/// reference date, `Data` as base64, `URL` as its absolute string, non-finite numbers refused.
/// Foundation's encoder first builds a tree of boxed values and then serialises it; in the
/// writer's critical section that was about 40 % of the time spent per command
/// (docs/benchmarks.md). This one writes each value as it is encoded.
///
/// Containers must be filled in order, as synthesized `Codable` conformances do: a container
/// is closed as soon as its parent writes its next element. `codingPath` is not tracked (it is
/// empty), which spares an allocation per value; errors name the value instead.
/// - Complexity: O(output size).
package struct StreamingJSONEncoder {
    package init() {}

    package func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let stream = JSONStream()
        try stream.write(value, depth: 0)
        stream.close(deeperThan: 0)
        return Data(stream.bytes)
    }
}

/// Values written as JSON scalars rather than through their `Encodable` conformance.
private protocol JSONScalar {
    func write(to stream: JSONStream) throws
}

extension Bool: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeLiteral(self ? "true" : "false") } }
extension Int8: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeLiteral(String(self)) } }
extension Int16: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeLiteral(String(self)) } }
extension Int32: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeLiteral(String(self)) } }
extension UInt: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeLiteral(String(self)) } }
extension UInt8: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeLiteral(String(self)) } }
extension UInt16: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeLiteral(String(self)) } }
extension UInt32: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeLiteral(String(self)) } }
extension UInt64: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeLiteral(String(self)) } }
extension Float: JSONScalar {
    fileprivate func write(to stream: JSONStream) throws {
        guard isFinite else { throw EncodingError.invalidValue(self, .init(codingPath: [], debugDescription: "\(self) is not valid JSON")) }
        stream.writeLiteral("\(self)")
    }
}
extension Data: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeString(base64EncodedString()) } }
extension URL: JSONScalar { fileprivate func write(to stream: JSONStream) { stream.writeString(absoluteString) } }

/// The output and the containers still open, innermost last.
private final class JSONStream {
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// Per open container: its closing bracket, and whether it holds an element yet.
    @exclusivity(unchecked) var open: [(closer: UInt8, hasElement: Bool)] = []
    /// One encoder per depth, reused: values at one depth are written one after another.
    @exclusivity(unchecked) private var encoders: [StreamEncoder] = []

    init() { bytes.reserveCapacity(1024) }

    /// Closes the containers nested deeper than `depth` open containers.
    func close(deeperThan depth: Int) {
        while open.count > depth { bytes.append(open.removeLast().closer) }
    }

    func openContainer(_ opener: UInt8, _ closer: UInt8) {
        bytes.append(opener)
        open.append((closer, false))
    }

    /// Starts the next element of the container that is the `depth`-th open one.
    func beginElement(inContainerAt depth: Int) {
        close(deeperThan: depth)
        if open[depth - 1].hasElement { bytes.append(UInt8(ascii: ",")) } else { open[depth - 1].hasElement = true }
    }

    func writeKey(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = string
        text.withUTF8 { utf8 in
            // Most text needs no escape: one copy.
            guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    func writeLiteral(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Writes one value at the current position (its key or separator already written).
    func write<Value: Encodable>(_ value: Value, depth: Int) throws {
        // The common scalars by type identity, which costs less than a dynamic cast.
        if Value.self == String.self { return writeString(unsafeBitCast(value, to: String.self)) }
        if Value.self == Int.self { return writeLiteral(String(unsafeBitCast(value, to: Int.self))) }
        if Value.self == Int64.self { return writeLiteral(String(unsafeBitCast(value, to: Int64.self))) }
        if Value.self == Double.self {
            let double = unsafeBitCast(value, to: Double.self)
            guard double.isFinite else { throw EncodingError.invalidValue(double, .init(codingPath: [], debugDescription: "\(double) is not valid JSON")) }
            return writeLiteral("\(double)")
        }
        if let scalar = value as? any JSONScalar { return try scalar.write(to: self) }
        let encoder = encoder(at: depth)
        let start = bytes.count
        try value.encode(to: encoder)
        close(deeperThan: depth)
        if bytes.count == start { writeLiteral("{}") }
    }

    /// The encoder for a value inside `depth` open containers, ready for a new value.
    private func encoder(at depth: Int) -> StreamEncoder {
        while encoders.count <= depth { encoders.append(StreamEncoder(stream: self, depth: encoders.count)) }
        let encoder = encoders[depth]
        encoder.opened = false
        return encoder
    }
}

private final class StreamEncoder: Encoder {
    unowned let stream: JSONStream
    /// Open containers around the value this encoder writes.
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// Whether a container was opened for the value already (asking again reuses it).
    var opened = false

    init(stream: JSONStream, depth: Int) {
        self.stream = stream
        self.depth = depth
    }

    private func open(_ opener: UInt8, _ closer: UInt8) {
        guard !opened else { return }
        opened = true
        stream.close(deeperThan: depth)
        stream.openContainer(opener, closer)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        open(UInt8(ascii: "{"), UInt8(ascii: "}"))
        return KeyedEncodingContainer(KeyedStream<Key>(stream: stream, depth: depth + 1))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        open(UInt8(ascii: "["), UInt8(ascii: "]"))
        return UnkeyedStream(stream: stream, depth: depth + 1)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueStream(stream: stream, depth: depth)
    }
}

private struct KeyedStream<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let stream: JSONStream
    /// This container is the `depth`-th open one.
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    private func begin(_ key: Key) {
        stream.beginElement(inContainerAt: depth)
        stream.writeKey(key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws {
        begin(key)
        stream.writeLiteral("null")
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        begin(key)
        try stream.write(value, depth: depth)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        begin(key)
        stream.openContainer(UInt8(ascii: "{"), UInt8(ascii: "}"))
        return KeyedEncodingContainer(KeyedStream<NestedKey>(stream: stream, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        begin(key)
        stream.openContainer(UInt8(ascii: "["), UInt8(ascii: "]"))
        return UnkeyedStream(stream: stream, depth: depth + 1)
    }

    /// The returned encoder must write the value: the key is written already.
    mutating func superEncoder() -> any Encoder {
        stream.beginElement(inContainerAt: depth)
        stream.writeKey("super")
        return StreamEncoder(stream: stream, depth: depth)
    }

    /// The returned encoder must write the value: the key is written already.
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        begin(key)
        return StreamEncoder(stream: stream, depth: depth)
    }
}

private struct UnkeyedStream: UnkeyedEncodingContainer {
    let stream: JSONStream
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    private(set) var count = 0

    init(stream: JSONStream, depth: Int) {
        self.stream = stream
        self.depth = depth
    }

    private mutating func begin() {
        stream.beginElement(inContainerAt: depth)
        count += 1
    }

    mutating func encodeNil() throws {
        begin()
        stream.writeLiteral("null")
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        begin()
        try stream.write(value, depth: depth)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        begin()
        stream.openContainer(UInt8(ascii: "{"), UInt8(ascii: "}"))
        return KeyedEncodingContainer(KeyedStream<NestedKey>(stream: stream, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        begin()
        stream.openContainer(UInt8(ascii: "["), UInt8(ascii: "]"))
        return UnkeyedStream(stream: stream, depth: depth + 1)
    }

    /// The returned encoder must write the value: the separator is written already.
    mutating func superEncoder() -> any Encoder {
        begin()
        return StreamEncoder(stream: stream, depth: depth)
    }
}

private struct SingleValueStream: SingleValueEncodingContainer {
    let stream: JSONStream
    /// Open containers around the value.
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { stream.writeLiteral("null") }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try stream.write(value, depth: depth)
    }
}
