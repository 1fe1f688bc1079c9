namespace NeXChange.Silo.Commands;

/// <summary>The operator commands (SPEC.md 1.2) in the order <c>help</c> lists them.</summary>
public static class OperatorCommands
{
    public static readonly IReadOnlyList<OperatorCommand> All =
    [
        new("migrate", "Apply the SQL migrations, the runtime role's grants and the outflow limits",
            "Applies the SQL migrations not yet applied, as the owner role (ConnectionStrings:PostgresOwner), then grants "
            + "the user of ConnectionStrings:Postgres exactly what the silo needs and writes the Limits:DailyOutflow* "
            + "settings into the database. Safe to repeat and to run concurrently.",
            [], typeof(MigrateCommand)),
        new("create-admin", "Create an admin account, or make an existing account an admin",
            "Creates an email-verified admin with its signup grant; the password is read from stdin (typed without echo, "
            + "or the first line when piped), never from the command line. For an address that already has an account it "
            + "reads no password: it makes the account a verified admin, posts the grant if missing, and ends the "
            + "account's sessions, so the new role applies from the next sign-in.",
            [new CommandOption(CreateAdminCommand.Email, "address", "the admin's email address", Required: true)], typeof(CreateAdminCommand)),
        new("reconcile", "Check the ledger; exit 1 on drift",
            "Prints the ledger reconciliation report (SPEC.md 2.9) as JSON on stdout. Exit 0 when it is ok; exit 1 when "
            + "not, after writing the audit event LEDGER_DRIFT and a critical log line. Nothing is corrected.",
            [], typeof(ReconcileCommand)),
        new("rebuild-projections", "Re-write every item's search row from the items table",
            "Re-writes the search row of every item through the version guard: missing or older rows are filled, a newer "
            + "one is never overwritten. Safe while silos run and to repeat. Prints the counts.",
            [], typeof(RebuildProjectionsCommand)),
        new("seed-safe-zones", "Add the local run's safe zones that are missing",
            "Adds the generated safe zones of the local run (3-8 around each of 50 US cities) that are not there yet; "
            + "admins' edits are kept. Prints how many were added.",
            [], typeof(SeedSafeZonesCommand)),
    ];

    public static OperatorCommand? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
