using Microsoft.EntityFrameworkCore.Migrations;
using Migrator.Authoring;

#nullable disable

namespace EfShop.V2.Migrations
{
    /// <inheritdoc />
    [AppVersion("2.0.0")]
    public partial class RenameEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "Email",
                table: "Customers",
                newName: "ContactEmail");

            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "Orders",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Orders_PlacedAt",
                table: "Orders",
                column: "PlacedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_PlacedAt",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "Orders");

            migrationBuilder.RenameColumn(
                name: "ContactEmail",
                table: "Customers",
                newName: "Email");
        }
    }
}
