//! `lodestar serve`: the sample plan, health checks and the API.

use crate::harness::*;

#[test]
fn serve_loads_the_sample_plan_answers_health_checks_and_serves_the_api() {
    let work = Workspace::new("serve");
    let db = work.sqlite("data");
    let mut server = Server::start(&db);
    server.wait_for_ok("/healthz");
    let (status, _) = server.get("/api/v1/plans").unwrap();
    assert_eq!(status, 401, "the API needs credentials");

    // The first administrator of a fresh installation, and a token for a script.
    let added = lodestar()
        .args(&db.args)
        .args([
            "user",
            "add",
            "cio@harborfalls.example",
            "--name",
            "Dana Okafor",
            "--role",
            "administrator",
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&added.stdout);
    assert!(
        added.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(
        said.contains("Password: "),
        "a made password is shown once: {said}"
    );
    let token = lodestar()
        .args(&db.args)
        .args([
            "token",
            "create",
            "--user",
            "cio@harborfalls.example",
            "--name",
            "ci",
            "--scope",
            "read",
        ])
        .output()
        .unwrap();
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    server.token = Some(String::from_utf8(token.stdout).unwrap().trim().to_owned());
    let plans = server.wait_for_ok("/api/v1/plans");
    assert!(plans.contains(SAMPLE_KEY), "{plans}");

    #[cfg(unix)]
    {
        let (exit, logs) = server.terminate();
        assert!(exit.success(), "{exit:?}\n{}", logs.join("\n"));
    }
}
