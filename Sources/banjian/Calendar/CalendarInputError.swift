/// Bad input found only when a calendar command runs, such as an unreadable holiday file.
///
/// ArgumentParser prints it as `Error: <description>` and exits with status 1, without the
/// usage text that a `ValidationError` brings (usage would not help with a bad file).
struct CalendarInputError: Error, CustomStringConvertible {
    let description: String
}
