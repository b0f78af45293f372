//! The password of `create-user`: from `REGISTRY_PASSWORD`, else typed at the terminal without
//! echo (twice), else the first line of standard input (a pipe or a file).

use std::io::{BufRead, IsTerminal};

/// Reads the new account's password.
pub fn read() -> Result<String, String> {
    if let Ok(p) = std::env::var("REGISTRY_PASSWORD") {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| format!("cannot read the password: {e}"))?;
        let again = rpassword::prompt_password("Repeat it: ").map_err(|e| format!("cannot read the password: {e}"))?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        return Ok(first);
    }
    first_line(std::io::stdin().lock())
}

/// The first line of `input`, without its line end; waits for no more than that line.
fn first_line(mut input: impl BufRead) -> Result<String, String> {
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_only() {
        assert_eq!(first_line(&b"Secret-Pass1\nignored\n"[..]).unwrap(), "Secret-Pass1");
        assert_eq!(first_line(&b"Secret-Pass1\r\n"[..]).unwrap(), "Secret-Pass1");
        assert_eq!(first_line(&b"no-newline"[..]).unwrap(), "no-newline");
        assert_eq!(first_line(&b""[..]).unwrap(), "");
    }
}
