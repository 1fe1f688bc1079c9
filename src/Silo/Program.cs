using NeXChange.Silo.Commands;
using NeXChange.Silo.Hosting;

// Without arguments the silo runs (deploy/run.sh starts it so). Anything else is an operator command line
// (SPEC.md 1.2): the commands work on the database and exit; none of them joins the cluster.
if (args.Length == 0)
{
    await SiloHost.Build(args).RunAsync();
    return ExitCodes.Ok;
}

var console = new CommandConsole(Console.Out, Console.Error, PasswordPrompt.Read);
return await new OperatorCli(() => CommandHost.Build([]), console).RunAsync(args);
