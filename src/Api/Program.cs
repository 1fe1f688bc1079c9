using NeXChange.Api.Hosting;

await ApiHost.Build(args).RunAsync();
