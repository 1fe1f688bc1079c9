using Microsoft.Extensions.Time.Testing;
using NeXChange.Images;

namespace NeXChange.Storage.Tests;

public static class TestPipelines
{
    /// <summary>
    /// A pipeline on a clock that moves only when a test moves it: on a loaded machine a real-time decode deadline
    /// could cut a normal photo short, and only the tests of the deadline want it to pass.
    /// </summary>
    public static PhotoPipeline Create(ImageOptions? options = null) => new(options ?? new ImageOptions(), new FakeTimeProvider());
}
