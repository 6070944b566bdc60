// The npm `fernet` package ships no types; only what the benchmark uses.
declare module 'fernet' {
  interface FernetSecret {
    readonly signingKeyHex: string;
  }
  interface FernetToken {
    encode(message: string): string;
    decode(token?: string): string;
  }
  const fernet: {
    Secret: new (secret64: string) => FernetSecret;
    Token: new (options: { secret: FernetSecret; token?: string; ttl?: number }) => FernetToken;
  };
  export default fernet;
}
