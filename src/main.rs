//! The `revarch` command: parse arguments, run, exit with its code.
use clap::Parser;

fn main() {
    let cli = revarch::cli::Cli::parse();
    std::process::exit(revarch::cli::run(cli));
}
