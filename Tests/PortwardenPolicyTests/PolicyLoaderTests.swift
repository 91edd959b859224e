import Testing

@testable import PortwardenPolicy
