namespace HyperLaws.Validation;

/// <summary>rankfix's member drop on the full fit at one fraction: the candidate sets, how many change order, and the scores with and without.</summary>
/// <param name="Fraction">The training fraction.</param>
/// <param name="Sets">Candidate sets ranked.</param>
/// <param name="SetsChanged">Sets whose order differs with the drop.</param>
/// <param name="Top2WithDrop">Top-2 hits with the drop (3h: protocol 3's (horizon, LR) groups; 17h: the groups of three or more).</param>
/// <param name="Top2Without">Top-2 hits without.</param>
/// <param name="CorrectWithDrop">Pairs ordered right with the drop.</param>
/// <param name="CorrectWithout">Pairs ordered right without.</param>
/// <param name="Pairs">Pairs counted.</param>
/// <param name="NearChanged">Sets whose order under <c>ensemble-lr-near</c> differs from <c>ensemble-lr</c>'s (with the drop) on the full fit,
/// every candidate at a seen LR: 0 unless the variant touches seen LRs (<see cref="LrHoldOut.Near"/>).</param>
public sealed record LrHoldOutDropCheck(double Fraction, int Sets, int SetsChanged, int Top2WithDrop, int Top2Without, int CorrectWithDrop, int CorrectWithout, int Pairs,
    int NearChanged = 0);
