import ExoCore

extension Fixture {
    /// The printed messages of the `InputErrorList` that `body` throws (empty when it throws nothing), for tests
    /// that compare exact messages.
    public static func errorMessages(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return []
        } catch let error as InputErrorList {
            return error.errors.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }
}
