import Foundation
import GatewayCLI

let status = CommandLineInterface.main(
    Array(CommandLine.arguments.dropFirst()),
    environment: ProcessInfo.processInfo.environment,
    output: .standard,
    readStandardInput: { FileHandle.standardInput.readDataToEndOfFile() })
exit(status)
