"""The API's resources, one router each; every one reads through the apps' selectors and
visibility functions and writes through their services."""
