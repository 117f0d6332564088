using HyperLaws.Theory.Verification;

namespace HyperLaws.Cli.Commands.Verify;

/// <summary>Runs the verification sweep: settings -> <see cref="VerificationSweep"/> -> report; no console I/O.</summary>
internal static class VerifyHandler
{
    public static VerificationReport Run(VerificationOptions options) => VerificationSweep.Run(options);
}
