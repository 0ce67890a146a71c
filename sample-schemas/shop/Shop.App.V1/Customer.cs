namespace Shop.App.V1;

/// <summary>A customer as app 1.0.0 sees it.</summary>
public sealed class Customer
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";
}
