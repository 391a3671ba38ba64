// BanjianWire: the generated protobuf and gRPC code (Generated/, committed) and the validated
// conversions between wire and domain types. Generated types never leave this module.
