package io.switchboard.crypto;

/** A stored secret could not be decrypted. Its message never contains the value. */
public class SecretDecryptionException extends RuntimeException {

    public SecretDecryptionException(String message) {
        super(message, null, false, false);
    }
}
