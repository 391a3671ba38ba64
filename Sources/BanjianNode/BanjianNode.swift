// BanjianNode: the gRPC services, the federation link, the deadline scheduler's driver, TLS and
// the node's lifecycle (design.md "Modules").
