import ArgumentParser
import BanjianDomain
import BanjianWire
import Foundation

extension CalendarCommand {
    /// `banjian calendar publish`: a year of holidays, published at the top of the tree.
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a holiday year (a holiday-cn JSON file) at the top node; it reaches every node of the tree.",
            discussion: """
                Leaders of the node without a parent only. Each node stores the year, re-projects its live \
                deadlines and journals the change (as at start), then passes the year on to its children. \
                Publishing the same year again changes nothing. Exit codes: 0 done; 65 invalid file; 69 node \
                unreachable; 77 not permitted; 1 any other refusal.
                """)
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "The year file, in the holiday-cn format (NateScarlet/holiday-cn).") var file: String
        @Option(help: "Idempotency key (default: a new one).") var requestID = UUID().uuidString

        func run() async throws {
            let year: HolidayYear
            do { year = try HolidayYear(holidayCNJSON: try Data(contentsOf: URL(fileURLWithPath: file))) } catch {
                FileHandle.standardError.write(Data("banjian: --file: \(error)\n".utf8))
                throw ExitCode(65)
            }
            let requestID = requestID
            try await connection.call { client in
                let response = try await client.catalog.publishHolidayYear(
                    .with { $0.requestID = requestID; $0.calendar = Banjian_V1_CalendarUpdate(year) }, metadata: client.metadata)
                print("holiday year \(response.year) published: \(year.days.count) days; \(response.casesReprojected) cases re-projected here")
            }
        }
    }
}
