namespace Shop.App.V2;

/// <summary>A customer as app 2.0.0 sees it.</summary>
public sealed class Customer
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string EmailAddress { get; set; } = "";
}
