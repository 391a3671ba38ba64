import GRPCCore

/// A bare grpc-swift echo service: one unary method that returns the request bytes unchanged.
/// It is the baseline the node's durable creates are measured against, on the same TLS setup.
struct EchoService: RegistrableRPCService {
    static let method = MethodDescriptor(fullyQualifiedService: "banjian.bench.Echo", method: "Echo")

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(forMethod: Self.method, deserializer: RawBytes(), serializer: RawBytes()) { request, _ in
            var message: [UInt8] = []
            for try await part in request.messages { message = part }
            return StreamingServerResponse(single: ServerResponse(message: message))
        }
    }
}

/// Messages as their bytes, without a codec.
struct RawBytes: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
