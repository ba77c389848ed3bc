fn main() -> std::process::ExitCode {
    icprules::cli::main()
}
