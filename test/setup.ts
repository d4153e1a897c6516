// Runs before every test file: tests never reach beyond loopback.
process.env.NODE_ENV = "test";
