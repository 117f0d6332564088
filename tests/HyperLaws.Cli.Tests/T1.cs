public class T1 { [Xunit.Fact] public void A() => Xunit.Assert.True(true); }
